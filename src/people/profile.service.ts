import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { detail, DomainError } from '../common/errors/domain-error';
import { NotificationPreferencesService } from '../notifications/notification-preferences.service';
import { MyProfileDto, UpdateMyProfileDto } from './dto/profile.dto';
import { PeopleService, PersonWithPath } from './people.service';
import { ProfileChangeRequestsService } from './profile-change-requests.service';

/**
 * The self-service profile (issue 15, item 5): a person reads their own record — their own
 * CCCD whole — and corrects their phone, contact e-mail and message preferences themself.
 * What HR keeps (names, birth date, gender, CCCD) changes through a change request.
 */
@Injectable()
export class ProfileService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly people: PeopleService,
    private readonly requests: ProfileChangeRequestsService,
    private readonly preferences: NotificationPreferencesService,
    private readonly audit: AuditService,
  ) {}

  async mine(actor: Actor): Promise<MyProfileDto> {
    const person = await this.people.ownRecordUnscoped(this.dataSource.manager, actor);
    return this.view(actor, person);
  }

  /**
   * Changes my contact details and preferences in one transaction: the record's change is
   * audited as person.update, a preference change as notification_preferences.update.
   */
  async update(actor: Actor, dto: UpdateMyProfileDto): Promise<MyProfileDto> {
    const given = (['phone', 'email', 'locale', 'emailNotifications'] as const).filter(
      (f) => dto[f] !== undefined,
    );
    if (!given.length) {
      throw new DomainError('VALIDATION_FAILED', {}, [
        detail(
          'body',
          'Cần ít nhất một trường: số điện thoại, email, ngôn ngữ hoặc nhận email nhắc việc.',
          'Give at least one field: phone, email, locale or emailNotifications.',
        ),
      ]);
    }
    const person = await this.dataSource.transaction(async (em) => {
      const updated = await this.people.updateOwnContact(em, actor, {
        phone: dto.phone,
        email: dto.email,
      });
      if (dto.locale !== undefined || dto.emailNotifications !== undefined) {
        const before = await this.preferences.preferencesOf(actor.personId, em);
        const after = await this.preferences.setPreferences(em, actor.personId, {
          locale: dto.locale,
          emailNotifications: dto.emailNotifications,
        });
        if (JSON.stringify(before) !== JSON.stringify(after)) {
          await this.audit.record(em, actor, {
            action: 'notification_preferences.update',
            entityType: 'person',
            entityId: actor.personId,
            orgUnitId: updated.homeOrgUnitId,
            before,
            after,
          });
        }
      }
      return updated;
    });
    return this.view(actor, person);
  }

  private async view(actor: Actor, person: PersonWithPath): Promise<MyProfileDto> {
    const [preferences, pending] = await Promise.all([
      this.preferences.preferencesOf(actor.personId),
      this.requests.myPending(actor),
    ]);
    return {
      // My own CCCD is mine to read whole.
      person: { ...this.people.toDto(actor, person), nationalId: person.nationalId },
      signInEmail: actor.email,
      notificationPreferences: preferences,
      pendingChangeRequest: pending,
    };
  }
}
