# The texts of the client-area and admin-area pages (es); every id starts with "page-".
