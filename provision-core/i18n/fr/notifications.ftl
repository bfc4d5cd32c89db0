# The texts of the default notifications (subject and body) (fr); every id starts with "notification-".
