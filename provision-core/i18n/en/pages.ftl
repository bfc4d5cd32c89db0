# The texts of the client-area and admin-area pages (en); every id starts with "page-".
