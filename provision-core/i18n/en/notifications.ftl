# The texts of the default notifications (subject and body) (en); every id starts with "notification-".
