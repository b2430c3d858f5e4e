import { Migration } from '@mikro-orm/migrations';

export class Migration20261124183224_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`provider\` (\`id\` text not null, \`name\` text not null, \`roles\` json not null, \`active\` integer not null, \`country\` text not null, \`service_countries\` json not null, \`languages\` json not null, \`email\` text null, \`phone\` text null, \`website\` text null, \`postal_address\` text null, \`business_hours\` text null, \`time_zone\` text null, \`vat_id\` text null, primary key (\`id\`));`);

    this.addSql(`create table \`offer\` (\`id\` text not null, \`provider_id\` text not null, \`service\` text check (\`service\` in ('TRAINING', 'USER_SUPPORT', 'TECHNICAL_SUPPORT')) not null, \`title\` text not null, \`description\` text null, \`amount\` text not null, \`currency\` text not null, \`unit\` text check (\`unit\` in ('ONE_TIME', 'ANNUAL', 'PER_HOUR', 'PER_DAY', 'PER_PARTICIPANT')) not null, \`valid_from\` text null, \`valid_until\` text null, constraint \`offer_provider_id_foreign\` foreign key(\`provider_id\`) references \`provider\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`offer_provider_id_index\` on \`offer\` (\`provider_id\`);`);
  }

}
