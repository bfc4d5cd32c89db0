# The texts of the default notifications (subject and body) (et); every id starts with "notification-".
