# The texts of the default notifications (subject and body) (ar); every id starts with "notification-".
