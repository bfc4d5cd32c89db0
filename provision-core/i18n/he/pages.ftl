# The texts of the client-area and admin-area pages (he, עברית); every id starts with "page-".

page-size = { $size } { $unit }
page-copy = העתקה
page-copied = הועתק
page-yes = כן
page-no = לא
page-back = חזרה
page-not-measured = טרם נמדד
page-unlimited = ללא הגבלה
page-limit = מכסה
page-used = בשימוש
page-free = פנוי
page-used-percent = בשימוש %
page-free-percent = פנוי %
page-username = שם משתמש
page-status = מצב
page-client-title = האחסון שלך
page-access = גישה
page-web-address = ממשק אינטרנט
page-password = סיסמה
page-password-show = הצגת הסיסמה
page-password-elsewhere = מוצגת רק באזור הלקוח שלך.
page-instructions = הוראות
page-space = שטח דיסק
page-pie-title = שטח בשימוש ושטח פנוי
page-pie-desc = { $used } מתוך { $limit } בשימוש ({ $percent }); { $free } פנויים.
page-buckets = דליים
page-bucket = דלי
page-bucket-size = גודל
page-bucket-objects = אובייקטים
page-no-buckets = עדיין אין דליים.
page-buckets-note = הגדלים לפי המדידה האחרונה של השרת.
page-statistics = סטטיסטיקת השטח בשימוש
page-time-zone = ימים וחודשים באזור הזמן { $zone }.
page-daily-title = { $days ->
    [one] שימוש יומי, היום האחרון
    [two] שימוש יומי, יומיים אחרונים
   *[other] שימוש יומי, { $days } הימים האחרונים
}
page-daily-desc = { $count ->
    [one] השימוש הגבוה ביותר בכל יום, ב־{ $unit }; יש נתונים ליום אחד.
    [two] השימוש הגבוה ביותר בכל יום, ב־{ $unit }; יש נתונים ליומיים.
   *[other] השימוש הגבוה ביותר בכל יום, ב־{ $unit }; יש נתונים ל־{ $count } ימים.
}
page-monthly-title = שימוש ממוצע לחודש
page-monthly-desc = { $count ->
    [one] השימוש הממוצע בכל חודש, ב־{ $unit }; חודש אחד.
    [two] השימוש הממוצע בכל חודש, ב־{ $unit }; חודשיים.
   *[other] השימוש הממוצע בכל חודש, ב־{ $unit }; { $count } חודשים.
}
page-no-data = עדיין לא נרשם שימוש.
page-show-numbers = הצגת המספרים
page-day = יום
page-month = חודש
page-average = ממוצע
page-admin-title = חשבון אחסון
page-connection = חיבור API
page-connection-ok = מחובר אל { $server }.
page-connection-failed = לא מחובר: { $error }
page-account = חשבון
page-enabled = פעיל
page-product = מוצר
page-group = קבוצה
page-email = דוא״ל
page-limit-policy = מדיניות מכסה
page-limit-policy-usage = לפי השימוש
page-limit-policy-standard = רגילה (נקבעה על ידי מנהל)
page-limit-policy-limited = מוגבלת (נקבעה על ידי מנהל)
page-disk-usage = שימוש בדיסק
page-actions = פעולות
page-no-actions = אין פעולה אפשרית במצב הזה.
page-status-creating = בתהליך יצירה
page-status-active = פעיל
page-status-suspended = מושעה
page-status-terminating = בתהליך סיום
page-status-terminated = הסתיים
page-status-failed = היצירה נכשלה
page-action-suspend = השעיה
page-action-unsuspend = ביטול השעיה
page-action-terminate = סיום
page-action-change-password = שינוי סיסמה
page-action-change-plan = החלפת חבילה
page-action-update-policy = עדכון מדיניות
page-action-set-standard-policy = קביעת מדיניות רגילה
page-action-set-limited-policy = קביעת מדיניות מוגבלת
page-new-product = חבילה חדשה
page-confirm-terminate = כן, למחוק את החשבון ואת הנתונים שלו
page-action-done = בוצע: { $action }.
page-action-failed = הפעולה נכשלה: { $error }
page-new-password = הסיסמה החדשה (מוצגת פעם אחת):
page-refused-title = לא ניתן להציג את הדף הזה
page-error-title = לא ניתן להציג את הדף כעת
page-refused-invalid = הקישור אינו תקף. יש לפתוח את הדף שוב מאזור הלקוח.
page-refused-expired = תוקף הקישור פג. יש לפתוח את הדף שוב מאזור הלקוח.
page-refused-wrong-service = הקישור נוצר עבור שירות אחר.
page-refused-wrong-role = הקישור נוצר עבור דף אחר.
page-refused-not-found = אין דף כזה.
page-refused-not-configured = הדפים לא הוגדרו בשרת הזה.
page-refused-cross-site = הבקשה הגיעה מאתר אחר ונדחתה.
page-refused-action = הפעולה הזו אינה אפשרית עבור השירות כעת.
