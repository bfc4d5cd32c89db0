# The texts of the default notifications (subject and body) (uk); every id starts with "notification-".
