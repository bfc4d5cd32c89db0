# The texts of the client-area and admin-area pages (tr); every id starts with "page-".
