import { Migration } from '@mikro-orm/migrations';

export class Migration20261207192002_maintenance_payment extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`maintenance_payment\` (\`id\` text not null, \`license_key\` text not null, \`kind\` text check (\`kind\` in ('PAYMENT', 'REVERSAL')) not null, \`amount\` text null, \`currency\` text null, \`reference\` text null, \`period_from\` text not null, \`paid_through\` text not null, \`previous_paid_through\` text null, \`reverses\` text null, \`reversed_by\` text null, \`reason\` text null, \`recorded_by\` text not null, \`recorded_at\` text not null, primary key (\`id\`));`);
    this.addSql(`create index \`maintenance_payment_license_key_recorded_at_index\` on \`maintenance_payment\` (\`license_key\`, \`recorded_at\`);`);
  }

}
