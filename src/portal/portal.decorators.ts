import { applyDecorators, SetMetadata, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PAGE_KEY } from '../auth/access.decorators';
import { PageExceptionFilter } from './page-exception.filter';

/**
 * A controller of portal pages: its caller comes from the session cookie, every form it takes
 * carries the CSRF token (both checked by the access guard), its errors are pages (the
 * PageExceptionFilter), and it is not part of the API's OpenAPI document. Each route still
 * declares RequirePermission or Public, exactly as an API route does.
 */
export function PortalPages(): ClassDecorator {
  return applyDecorators(
    SetMetadata(PAGE_KEY, true),
    ApiExcludeController(),
    UseFilters(PageExceptionFilter),
  );
}
