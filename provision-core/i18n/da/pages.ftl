# The texts of the client-area and admin-area pages (da); every id starts with "page-".
