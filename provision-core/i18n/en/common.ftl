# Words several places use (en).

# The quota of an account without a limit.
common-unlimited = Unlimited
# A count of days; $count picks the plural form.
common-days = { $count ->
        [one] { $count } day
       *[other] { $count } days
    }
# A whole percentage; $value is the number.
common-percent = { $value }%
# A size in a unit ("1.50 GB"); $value is a decimal, $unit a symbol such as GB.
common-size = { $value } { $unit }
