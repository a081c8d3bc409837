import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/** A keyset page of items (common/pagination Page<T>), documented with the item's schema. */
export function ApiPageResponse(item: Type<unknown>, description?: string): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({
      description: description ?? `A page of ${item.name}`,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(item) } },
          nextCursor: {
            type: 'string',
            nullable: true,
            description: 'Pass as `cursor` for the next page; null on the last page',
          },
        },
      },
    }),
  );
}

/** A file answered as bytes (CSV, PDF): its media type comes from @ApiProduces. */
export function ApiFileResponse(description: string): MethodDecorator {
  return ApiOkResponse({ description, schema: { type: 'string', format: 'binary' } });
}
