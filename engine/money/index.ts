// Money: integer grosze, read from and written as the regulations write it ("0,50 zł").
export { parseMoney, formatMoney, MONEY_PATTERN, MONEY_MAX } from './money.ts';
