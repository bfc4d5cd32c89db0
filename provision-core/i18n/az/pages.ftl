# The texts of the client-area and admin-area pages (az); every id starts with "page-".
