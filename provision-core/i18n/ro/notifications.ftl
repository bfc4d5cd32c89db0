# The texts of the default notifications (subject and body) (ro); every id starts with "notification-".
