# The texts of the default notifications (subject and body) (pl); every id starts with "notification-".
