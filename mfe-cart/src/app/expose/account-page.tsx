import { AccountPage } from '../../features/account/components/account-page.tsx';
import { CartProviders } from '../providers.tsx';

/** Exposed as `mfe_cart/AccountPage`; rendered by the shell at `/account` (sign in, register). */
export default function AccountPageEntry() {
  return (
    <CartProviders>
      <AccountPage />
    </CartProviders>
  );
}
