# The texts of the client-area and admin-area pages (hr); every id starts with "page-".
