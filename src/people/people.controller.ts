import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { Page } from '../common/pagination/page';
import { CreatePersonDto, ListPeopleQueryDto, PersonDto, UpdatePersonDto } from './dto/person.dto';
import { PeopleService } from './people.service';
import { ApiPageResponse } from '../common/openapi/api-page.decorator';

@ApiTags('people')
@Controller('people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @RequirePermission('people:read')
  @ApiOperation({
    summary: 'Danh sách, tìm kiếm cán bộ',
    description:
      "People in the caller's scope, with a diacritics-insensitive name search, keyset paged",
  })
  @ApiPageResponse(PersonDto)
  list(@CurrentActor() actor: Actor, @Query() query: ListPeopleQueryDto): Promise<Page<PersonDto>> {
    return this.people.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: PersonDto })
  @ApiOperation({ summary: 'Xem hồ sơ cán bộ', description: "A person's profile" })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<PersonDto> {
    return this.people.get(actor, id);
  }

  @Post()
  @RequirePermission('people:write')
  @ApiOkResponse({ type: PersonDto })
  @ApiOperation({
    summary: 'Thêm hồ sơ cán bộ',
    description: "Create a person's profile in a unit of the caller's scope",
  })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePersonDto): Promise<PersonDto> {
    return this.people.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermission('people:write')
  @ApiOkResponse({ type: PersonDto })
  @ApiOperation({
    summary: 'Sửa hồ sơ cán bộ',
    description: "Change some fields of a person's profile (audited)",
  })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdatePersonDto,
  ): Promise<PersonDto> {
    return this.people.update(actor, id, dto);
  }
}
