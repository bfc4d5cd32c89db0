# The texts of the default notifications (subject and body) (nl); every id starts with "notification-".
