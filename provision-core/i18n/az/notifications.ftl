# The texts of the default notifications (subject and body) (az); every id starts with "notification-".
