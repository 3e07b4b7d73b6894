//! The operator's offers (staff console): the list and the form that adds one.

use super::done_banner;
use crate::{
    components::{
        banner_message, field_messages, Breadcrumbs, ErrorBanner, ErrorNotice, SelectField,
        TableBox, TextField,
    },
    services::{list_offers, CreateOffer, Offer},
};
use leptos::prelude::*;

#[component]
pub fn StaffOffersPage() -> impl IntoView {
    let create = ServerAction::<CreateOffer>::new();
    let offers = Resource::new(move || create.version().get(), |_| list_offers());
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let field = field_messages(error);
    let fields = [
        "service",
        "name",
        "description",
        "unit",
        "price",
        "currency",
        "period",
        "trial_days",
    ];
    let f = move |name: &'static str| field(name);
    view! {
        <crate::accounts::pages::RequireUser>
            <main class="page" id="main">
                <Breadcrumbs trail=vec![("Staff console".to_owned(), "/staff".to_owned())] here="Offers" />
                <h1>"Offers"</h1>
                <p class="lead">"What the catalogue lists. Organizations take an offer as a trial or buy its licenses."</p>
                {done_banner()}
                <Suspense fallback=|| view! { <p>"Loading offers…"</p> }>
                    {move || Suspend::new(async move {
                        match offers.await {
                            Ok(list) => view! { <OfferTable list /> }.into_any(),
                            Err(error) => view! { <ErrorNotice error /> }.into_any(),
                        }
                    })}
                </Suspense>
                <section aria-labelledby="new-offer" class="card">
                    <h2 id="new-offer">"Add an offer"</h2>
                    <ErrorBanner message=Signal::derive(move || error.get().and_then(|e| banner_message(&e, &fields))) />
                    <ActionForm action=create attr:class="stack">
                        <TextField label="Service" name="offer[service]" error=f("service") hint="Offers of the same service are summed on the Services page." />
                        <TextField label="Offer name" name="offer[name]" error=f("name") />
                        <TextField label="Description" name="offer[description]" error=f("description") />
                        <TextField label="Unit" name="offer[unit]" value="license" error=f("unit") />
                        <TextField label="Price per unit" name="offer[price]" error=f("price") hint="In the currency's main unit, like 12.50." />
                        <TextField label="Currency" name="offer[currency]" value="EUR" error=f("currency") />
                        <SelectField
                            label="Billing period"
                            name="offer[period]"
                            options=vec![("monthly".to_owned(), "Monthly".to_owned()), ("annual".to_owned(), "Annual".to_owned())]
                            selected="monthly"
                            error=f("period")
                        />
                        <TextField label="Trial length in days" name="offer[trial_days]" input_type="number" value="0" error=f("trial_days") hint="0 for no trial." />
                        <div class="field checkbox">
                            <input type="checkbox" id="field-offer-volume" name="offer[volume]" value="true" />
                            <label for="field-offer-volume">"Volume license agreement"</label>
                        </div>
                        <button type="submit" class="primary">"Add the offer"</button>
                    </ActionForm>
                </section>
            </main>
        </crate::accounts::pages::RequireUser>
    }
}

#[component]
fn OfferTable(list: Vec<Offer>) -> impl IntoView {
    view! {
        <TableBox label="Offers">
            <table class="data" aria-label="Offers">
                <thead>
                    <tr>
                        <th scope="col">"Offer"</th>
                        <th scope="col">"Service"</th>
                        <th scope="col">"Price"</th>
                        <th scope="col">"Trial"</th>
                    </tr>
                </thead>
                <tbody>
                    {list.into_iter().map(|o| {
                        let price = o.price_label();
                        view! {
                            <tr>
                                <th scope="row">{o.name}</th>
                                <td>{o.service}</td>
                                <td>{price}</td>
                                <td>{if o.trial_days > 0 { format!("{} days", o.trial_days) } else { "None".to_owned() }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableBox>
    }
}
