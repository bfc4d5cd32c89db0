# The texts of the default notifications (subject and body) (sv); every id starts with "notification-".
