# The texts of the client-area and admin-area pages (ro); every id starts with "page-".
