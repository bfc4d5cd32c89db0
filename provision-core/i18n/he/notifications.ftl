# The texts of the default notifications (subject and body) (he); every id starts with "notification-".
