# The texts of the default notifications (subject and body) (mk); every id starts with "notification-".
