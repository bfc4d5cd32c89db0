# The texts of the default notifications (subject and body) (fa); every id starts with "notification-".
