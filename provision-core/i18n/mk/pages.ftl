# The texts of the client-area and admin-area pages (mk); every id starts with "page-".
