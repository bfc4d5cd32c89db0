# The texts of the default notifications (subject and body) (de); every id starts with "notification-".
