# The texts of the default notifications (subject and body) (ru); every id starts with "notification-".
