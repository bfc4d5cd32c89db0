# The customer's and the admin's pages (provision serve). Sizes arrive formatted
# ($size, $used, ...), percentages too ($percent); counted things ($days, $count)
# are numbers for plural selection.

## Shared
page-size = { $size } { $unit }
page-copy = Copy
page-copied = Copied
page-yes = Yes
page-no = No
page-back = Back
page-not-measured = Not measured yet
page-unlimited = Unlimited
page-limit = Limit
page-used = Used
page-free = Free
page-used-percent = Used %
page-free-percent = Free %
page-username = User name
page-status = Status

## The client area
page-client-title = Your storage
page-access = Access
page-web-address = Web interface
page-password = Password
page-password-show = Show password
page-password-elsewhere = Shown in your client area only.
page-instructions = Instructions
page-space = Disk space
page-pie-title = Used and free space
page-pie-desc = { $used } of { $limit } used ({ $percent }); { $free } free.
page-buckets = Buckets
page-bucket = Bucket
page-bucket-size = Size
page-bucket-objects = Objects
page-no-buckets = There are no buckets yet.
page-buckets-note = Sizes as the server last measured them.

## The usage statistics
page-statistics = Used space statistics
page-time-zone = Days and months in the time zone { $zone }.
page-daily-title = { $days ->
    [one] Daily usage, last day
   *[other] Daily usage, last { $days } days
}
page-daily-desc = { $count ->
    [one] The highest usage of each day, in { $unit }; one day has data.
   *[other] The highest usage of each day, in { $unit }; { $count } days have data.
}
page-monthly-title = Average usage per month
page-monthly-desc = { $count ->
    [one] The average usage of each month, in { $unit }; one month.
   *[other] The average usage of each month, in { $unit }; { $count } months.
}
page-no-data = No usage has been recorded yet.
page-show-numbers = Show the numbers
page-day = Day
page-month = Month
page-average = Average

## The admin area
page-admin-title = Storage account
page-connection = API connection
page-connection-ok = Connected to { $server }.
page-connection-failed = Not connected: { $error }
page-account = Account
page-enabled = Enabled
page-product = Product
page-group = Group
page-email = E-mail
page-limit-policy = Limit policy
page-limit-policy-usage = By usage
page-limit-policy-standard = Standard (set by an administrator)
page-limit-policy-limited = Limited (set by an administrator)
page-disk-usage = Disk usage
page-actions = Actions
page-no-actions = No action is possible in this status.
page-status-creating = Being created
page-status-active = Active
page-status-suspended = Suspended
page-status-terminating = Being terminated
page-status-terminated = Terminated
page-status-failed = Creation failed
page-action-suspend = Suspend
page-action-unsuspend = Unsuspend
page-action-terminate = Terminate
page-action-change-password = Change password
page-action-change-plan = Change package
page-action-update-policy = Update policy
page-action-set-standard-policy = Set standard policy
page-action-set-limited-policy = Set limited policy
page-new-product = New package
page-confirm-terminate = Yes, delete the account and its data
page-action-done = Done: { $action }.
page-action-failed = The action failed: { $error }
page-new-password = The new password (shown once):

## Refusals
page-refused-title = This page cannot be shown
page-error-title = The page cannot be shown now
page-refused-invalid = The link is not valid. Open the page again from the client area.
page-refused-expired = The link has expired. Open the page again from the client area.
page-refused-wrong-service = The link was made for another service.
page-refused-wrong-role = The link was made for another page.
page-refused-not-found = There is no such page.
page-refused-not-configured = The pages are not set up on this server.
page-refused-cross-site = The request came from another site and was refused.
page-refused-action = This action is not possible for the service now.
