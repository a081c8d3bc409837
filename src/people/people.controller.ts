import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, RequirePermission } from '../auth/access.decorators';
import { Actor } from '../auth/actor';
import { UuidParam } from '../common/http/params';
import { Page } from '../common/pagination/page';
import { CreatePersonDto, ListPeopleQueryDto, PersonDto, UpdatePersonDto } from './dto/person.dto';
import { PeopleService } from './people.service';

@ApiTags('people')
@Controller('people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @RequirePermission('people:read')
  list(@CurrentActor() actor: Actor, @Query() query: ListPeopleQueryDto): Promise<Page<PersonDto>> {
    return this.people.list(actor, query);
  }

  @Get(':id')
  @RequirePermission('self:use')
  @ApiOkResponse({ type: PersonDto })
  get(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<PersonDto> {
    return this.people.get(actor, id);
  }

  @Post()
  @RequirePermission('people:write')
  @ApiOkResponse({ type: PersonDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePersonDto): Promise<PersonDto> {
    return this.people.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermission('people:write')
  @ApiOkResponse({ type: PersonDto })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', UuidParam) id: string,
    @Body() dto: UpdatePersonDto,
  ): Promise<PersonDto> {
    return this.people.update(actor, id, dto);
  }
}
