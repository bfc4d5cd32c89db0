# The texts of the default notifications (subject and body) (hu); every id starts with "notification-".
