# The texts of the default notifications (subject and body) (da); every id starts with "notification-".
