# The texts of the client-area and admin-area pages (pl); every id starts with "page-".
