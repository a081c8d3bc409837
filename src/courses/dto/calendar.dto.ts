import { ApiProperty } from '@nestjs/swagger';

/** A new calendar feed: its URL is shown this once (only the token's hash is kept). */
export class CalendarFeedDto {
  @ApiProperty({
    example:
      'https://lms.congdoan.vn/api/v1/calendar/8Wq1v3Yc0rX2kQ9mZp7sT4uB6nD5eF1gH3jK8lL0aAo.ics',
    description:
      'Subscribe to it in a calendar app; anyone holding it reads your sessions, so keep it private',
  })
  url: string;

  @ApiProperty({
    example:
      'webcal://lms.congdoan.vn/api/v1/calendar/8Wq1v3Yc0rX2kQ9mZp7sT4uB6nD5eF1gH3jK8lL0aAo.ics',
    description: 'The same URL as webcal:, which opens the calendar app to subscribe',
  })
  webcalUrl: string;

  @ApiProperty({ example: '2027-03-01T02:15:00.000Z' })
  createdAt: string;
}

/** Whether the caller has a live feed (the URL itself is never shown again). */
export class CalendarFeedStatusDto {
  @ApiProperty() active: boolean;
  @ApiProperty({ type: String, nullable: true, example: '2027-03-01T02:15:00.000Z' })
  createdAt: string | null;
}
