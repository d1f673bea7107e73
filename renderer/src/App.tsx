import { Board } from './board/Board';
import { BudgetBanner } from './connection/BudgetBanner';
import { ConnectionBanner } from './connection/ConnectionBanner';
import { NoHost } from './connection/NoHost';
import { ConversationPane } from './conversation/ConversationPane';
import { Search } from './search/Search';
import { ServicesContext, type Services } from './services';
import { SettingsDialog } from './settings/SettingsDialog';
import { AuditDialog } from './team/AuditDialog';
import { LostRaces } from './team/LostRaces';
import { TopBar } from './TopBar';
import { FailedActions } from './workflow/FailedActions';

/** `services` is null when the page has no way to reach its host (opened without the secret). */
export function App({ services }: { services: Services | null }) {
  if (!services) return <NoHost />;
  return (
    <ServicesContext value={services}>
      <div className="app">
        <TopBar />
        <ConnectionBanner />
        <BudgetBanner />
        <div className="workspace">
          <Board />
          <ConversationPane />
        </div>
        <SettingsDialog />
        <Search />
        <AuditDialog />
        <div className="corner-notices">
          <LostRaces />
          <FailedActions />
        </div>
      </div>
    </ServicesContext>
  );
}
