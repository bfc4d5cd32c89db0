# The texts of the default notifications (subject and body) (cs); every id starts with "notification-".
