# Words several places use (ro).

# The quota of an account without a limit.
common-unlimited = Nelimitat
# A count of days; $count picks the plural form.
common-days = { $count ->
        [one] { $count } zi
        [few] { $count } zile
       *[other] { $count } de zile
    }
# A whole percentage; $value is the number.
common-percent = { $value } %
# A size in a unit ("1.50 GB"); $value is a decimal, $unit a symbol such as GB.
common-size = { $value } { $unit }
