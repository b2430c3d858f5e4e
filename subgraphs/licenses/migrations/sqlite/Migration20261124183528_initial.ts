import { Migration } from '@mikro-orm/migrations';

export class Migration20261124183528_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`license\` (\`key\` text not null, \`package_name\` text not null, \`type\` text check (\`type\` in ('NETWORK', 'WORKSTATION')) not null, \`program_version\` text not null, \`status\` text check (\`status\` in ('ACTIVE', 'SUSPENDED', 'EXPIRED')) not null, \`holder_name\` text not null, \`holder_country\` text not null, \`holder_language\` text not null, \`holder_vat_id\` text null, \`vendor_id\` text null, \`support_partner_id\` text null, \`maintenance_paid_through\` text null, primary key (\`key\`));`);
    this.addSql(`create index \`license_vendor_id_index\` on \`license\` (\`vendor_id\`);`);
  }

}
