# The texts of the default notifications (subject and body) (zh); every id starts with "notification-".
