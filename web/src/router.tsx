import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { Layout } from './layout.tsx';
import { AccountPage } from './pages/Account.tsx';
import { HomePage } from './pages/Home.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { SignUpPage } from './pages/SignUp.tsx';

// Pages that only some people open load on first visit, so the first page stays small on a phone.
const PrivacyPage = lazyRouteComponent(() => import('./pages/Privacy.tsx'), 'PrivacyPage');
const CityPage = lazyRouteComponent(() => import('./pages/City.tsx'), 'CityPage');
const AuditPage = lazyRouteComponent(() => import('./pages/Audit.tsx'), 'AuditPage');
const TaxPage = lazyRouteComponent(() => import('./modules/tax/TaxPage.tsx'), 'TaxPage');
const TaxRegisterPage = lazyRouteComponent(() => import('./modules/tax/RegisterPage.tsx'), 'RegisterPage');
const TaxPaymentsPage = lazyRouteComponent(() => import('./modules/tax/PaymentsPage.tsx'), 'PaymentsPage');
const TaxArrearsPage = lazyRouteComponent(() => import('./modules/tax/ArrearsPage.tsx'), 'ArrearsPage');
const TaxRatesPage = lazyRouteComponent(() => import('./modules/tax/RatesPage.tsx'), 'RatesPage');
const TaxPropertiesPage = lazyRouteComponent(
  () => import('./modules/tax/MyProperties.tsx'),
  'MyPropertiesPage',
);
const ComplaintsPage = lazyRouteComponent(
  () => import('./modules/complaints/ReportPage.tsx'),
  'ComplaintsPage',
);
const ComplaintsQueuePage = lazyRouteComponent(
  () => import('./modules/complaints/QueuePage.tsx'),
  'ComplaintsQueuePage',
);
const ComplaintsModerationPage = lazyRouteComponent(
  () => import('./modules/complaints/ModerationPage.tsx'),
  'ComplaintsModerationPage',
);
const ComplaintsPublicPage = lazyRouteComponent(
  () => import('./modules/complaints/PublicPage.tsx'),
  'ComplaintsPublicPage',
);
const ComplaintsStatsPage = lazyRouteComponent(
  () => import('./modules/complaints/StatsPage.tsx'),
  'ComplaintsStatsPage',
);
const ComplaintStatusPage = lazyRouteComponent(
  () => import('./modules/complaints/StatusPage.tsx'),
  'ComplaintStatusPage',
);

const FloodPage = lazyRouteComponent(() => import('./modules/flood/FloodPage.tsx'), 'FloodPage');
const FloodRegisterPage = lazyRouteComponent(
  () => import('./modules/flood/RegisterPage.tsx'),
  'FloodRegisterPage',
);
const FloodStationPage = lazyRouteComponent(() => import('./modules/flood/StationPage.tsx'), 'StationPage');
const DevicesPage = lazyRouteComponent(() => import('./modules/devices/DevicesPage.tsx'), 'DevicesPage');
const DevicePage = lazyRouteComponent(() => import('./modules/devices/DevicePage.tsx'), 'DevicePage');
const CyclingPage = lazyRouteComponent(() => import('./modules/cycling/CyclingPage.tsx'), 'CyclingPage');
const AirQualityPage = lazyRouteComponent(
  () => import('./modules/air-quality/AirQualityPage.tsx'),
  'AirQualityPage',
);
const AirQualityStationPage = lazyRouteComponent(
  () => import('./modules/air-quality/StationPage.tsx'),
  'StationPage',
);

const EnergyPage = lazyRouteComponent(() => import('./modules/energy/EnergyPage.tsx'), 'EnergyPage');
const EnergyRegisterPage = lazyRouteComponent(
  () => import('./modules/energy/RegisterPage.tsx'),
  'EnergyRegisterPage',
);
const EnergyBuildingPage = lazyRouteComponent(
  () => import('./modules/energy/BuildingPage.tsx'),
  'BuildingPage',
);

const AlertsPage = lazyRouteComponent(() => import('./modules/alerts/AlertsPage.tsx'), 'AlertsPage');
const RulesPage = lazyRouteComponent(() => import('./modules/rules/RulesPage.tsx'), 'RulesPage');
const WarningsPage = lazyRouteComponent(() => import('./modules/alerts/WarningsPage.tsx'), 'WarningsPage');

const root = createRootRoute({ component: Layout, notFoundComponent: NotFoundPage });
const page = <P extends string>(path: P, component: Parameters<typeof createRoute>[0]['component']) =>
  createRoute({ getParentRoute: () => root, path, component });

/** The shell's pages; each city module adds its own under its web path. */
const routeTree = root.addChildren([
  page('/', HomePage),
  page('/signin', SignInPage),
  page('/signup', SignUpPage),
  page('/account', AccountPage),
  page('/privacy', PrivacyPage),
  page('/city', CityPage),
  page('/admin/audit', AuditPage),
  page('/tax', TaxPage),
  page('/tax/register', TaxRegisterPage),
  page('/tax/payments', TaxPaymentsPage),
  page('/tax/arrears', TaxArrearsPage),
  page('/tax/rates', TaxRatesPage),
  page('/tax/properties', TaxPropertiesPage),
  page('/complaints', ComplaintsPage),
  page('/complaints/queue', ComplaintsQueuePage),
  page('/complaints/moderation', ComplaintsModerationPage),
  page('/complaints/public', ComplaintsPublicPage),
  page('/complaints/stats', ComplaintsStatsPage),
  page('/complaints/$reference', ComplaintStatusPage),
  page('/devices', DevicesPage),
  page('/devices/$id', DevicePage),
  page('/cycling', CyclingPage),
  page('/air-quality', AirQualityPage),
  page('/air-quality/stations/$id', AirQualityStationPage),
  page('/energy', EnergyPage),
  page('/energy/register', EnergyRegisterPage),
  page('/energy/buildings/$id', EnergyBuildingPage),
  page('/alerts', AlertsPage),
  page('/rules', RulesPage),
  page('/warnings', WarningsPage),
  page('/flood', FloodPage),
  page('/flood/register', FloodRegisterPage),
  page('/flood/$id', FloodStationPage),
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent' });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
