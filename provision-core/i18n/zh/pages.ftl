# The texts of the client-area and admin-area pages (zh); every id starts with "page-".
