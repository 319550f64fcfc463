/* Calendar dates as day numbers; the civil-from-days algorithm of
 * H. Hinnant ("chrono-Compatible Low-Level Date Algorithms"). */
#include <stdio.h>
#include <string.h>

#include "mutu/date.h"

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

mutu_date mutu_date_from_ymd(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void mutu_date_to_ymd(mutu_date date, int *y, int *m, int *d)
{
	long z = date + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long dd = doy - (153 * mp + 2) / 5 + 1;
	long mm = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (mm <= 2));
	*m = (int)mm;
	*d = (int)dd;
}

bool mutu_date_parse(const char *text, mutu_date *out)
{
	if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
			return false;
	int y =
	    (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
	int m = (text[5] - '0') * 10 + (text[6] - '0');
	int d = (text[8] - '0') * 10 + (text[9] - '0');
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return false;
	*out = mutu_date_from_ymd(y, m, d);
	return true;
}

void mutu_date_format(mutu_date date, char buf[11])
{
	int y, m, d;
	mutu_date_to_ymd(date, &y, &m, &d);
	int digits[8] = {y / 1000 % 10, y / 100 % 10, y / 10 % 10, y % 10,
			 m / 10,        m % 10,       d / 10,      d % 10};
	static const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
	for (int i = 0; i < 8; i++)
		buf[at[i]] = (char)('0' + digits[i]);
	buf[4] = buf[7] = '-';
	buf[10] = '\0';
}

mutu_date mutu_date_add_years(mutu_date start, int years)
{
	int y, m, d;
	mutu_date_to_ymd(start, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !leap(y))
		d = 28;
	return mutu_date_from_ymd(y, m, d);
}

bool mutu_date_is_anniversary(mutu_date start, mutu_date date, int *years)
{
	int sy, sm, sd, y, m, d;
	mutu_date_to_ymd(start, &sy, &sm, &sd);
	mutu_date_to_ymd(date, &y, &m, &d);
	if (y <= sy || mutu_date_add_years(start, y - sy) != date)
		return false;
	if (years)
		*years = y - sy;
	return true;
}
