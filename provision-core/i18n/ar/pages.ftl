# The texts of the client-area and admin-area pages (ar); every id starts with "page-".
