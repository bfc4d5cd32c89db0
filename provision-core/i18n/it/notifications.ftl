# The texts of the default notifications (subject and body) (it); every id starts with "notification-".
