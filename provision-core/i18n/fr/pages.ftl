# The texts of the client-area and admin-area pages (fr); every id starts with "page-".
