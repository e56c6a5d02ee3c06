import { CHI_MESSAGE, chiProblem, holdsChi, isDdmmyy } from './chi';

describe('CHI-like numbers in free text', () => {
  it.each([
    ['together', 'CHI 0101901234 seen today'],
    ['one space', '010190 1234'],
    ['spaces in threes', '010 190 1234'],
    ['dots', '010.190.1234'],
    ['dashes', '010190-1234'],
    ['mixed separators', '01-01.90 1234'],
    ['an en-dash', '010190\u20131234'],
    ['an em-dash', '010190\u20141234'],
    ['a minus sign', '010190\u22121234'],
    ['a non-breaking space', '010190\u00a01234'],
    ['a narrow no-break space', '010190\u202f1234'],
    ['full-width digits', '\uff10\uff11\uff10\uff11\uff19\uff10\uff11\uff12\uff13\uff14'],
    ['full-width digits and a full-width space', '\uff10\uff11\uff10\uff11\uff19\uff10\u3000\uff11\uff12\uff13\uff14'],
    ['a wrong check digit (still a date of birth)', '2902881239'],
    ['after other numbers', 'room 12, 3112991234'],
    ['after an invalid ten-digit run sharing its digits', '9999 010190 1234'],
    ['at the very start and end', '0101901234'],
  ])('refuses %s', (_what, text) => {
    expect(holdsChi(text)).toBe(true);
    expect(chiProblem(text)).toBe(CHI_MESSAGE);
  });

  it.each([
    ['a ten-digit number that cannot begin with a date', '123-456-7890'],
    ['a date and time with slashes and a colon', '03/11/2025 14:00'],
    ['a date with slashes, then more digits', 'seen 03/11/90 1234'],
    ['an eleven-digit phone number', 'call 07700 900123'],
    ['eleven digits together', '01019012345'],
    ['nine digits', '010190123'],
    ['two separators in a row', '010190  1234'],
    ['a month 13', '0113901234'],
    ['31 April', '3104901234'],
    ['29 February in a year not divisible by four', '2902891234'],
    ['ordinary text', 'Two of 12 staff off since 23/11'],
    ['nothing', ''],
  ])('allows %s', (_what, text) => {
    expect(holdsChi(text)).toBe(false);
    expect(chiProblem(text)).toBeUndefined();
  });

  it('reads DDMMYY as a date', () => {
    expect(isDdmmyy('290200')).toBe(true);
    expect(isDdmmyy('000190')).toBe(false);
    expect(isDdmmyy('311290')).toBe(true);
    expect(isDdmmyy('31129')).toBe(false);
  });

  it('says why', () => {
    expect(CHI_MESSAGE).toMatch(/CHI number/);
    expect(CHI_MESSAGE).toMatch(/date of birth/);
  });
});
