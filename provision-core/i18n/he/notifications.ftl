# The texts of the default notifications (subject and body) (he); every id starts with "notification-".

notification-near-limit-subject = האחסון { $product } שלך מלא ב-{ $percent }%
notification-near-limit-body =
    שלום { $client_name },

    חשבון האחסון שלך { $username } ({ $product }) משתמש כעת ב-{ $used } { $unit } מתוך { $limit } { $unit } ({ $percent }%). נותרו פנויים { $free } { $unit }.

    ברגע שהחשבון יחרוג מהמגבלה שלו, הוא יוגבל עד שיימחקו מספיק קבצים. כדי להמשיך לעבוד ללא הפרעה, פנו מקום או עברו לחבילה גדולה יותר.

notification-suspended-subject = האחסון { $product } שלך חרג מהמגבלה
notification-suspended-body =
    שלום { $client_name },

    חשבון האחסון שלך { $username } ({ $product }) מכיל { $used } { $unit }, יותר מהמגבלה של { $limit } { $unit } ({ $percent }% בשימוש). החשבון הוגבל.

    ההגבלה תוסר אוטומטית ברגע שהחשבון יחזור אל מתחת למגבלה: מחקו קבצים שאינכם צריכים עוד, או עברו לחבילה גדולה יותר.
