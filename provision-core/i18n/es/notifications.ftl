# The texts of the default notifications (subject and body) (es); every id starts with "notification-".
