use crate::ldap_source::Person;

pub struct LookupCache {
    pub client: memcache::Client,
}

pub fn warm(client: &memcache::Client, people: &[Person]) -> anyhow::Result<()> {
    for person in people {
        let json = serde_json::to_string(person)?;
        client.set(&Person::cache_key(&person.uid), json.as_str(), 3600)?;
    }
    Ok(())
}

impl LookupCache {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let client = memcache::connect(url)?; //~ db
        Ok(Self { client })
    }

    pub async fn get_person(&self, uid: &str) -> anyhow::Result<Option<Person>> {
        let raw: Option<String> = self.client.get(&Person::cache_key(uid))?; //~ db
        match raw {
            Some(json) => Ok(Some(serde_json::from_str(&json)?)), //~ ok(fs)
            None => Ok(None),
        }
    }

    pub async fn put_person(&self, person: &Person) -> anyhow::Result<()> {
        let json = serde_json::to_string(person)?;
        self.client.set(&Person::cache_key(&person.uid), json.as_str(), 3600)?; //~ db
        Ok(())
    }

    pub async fn invalidate(&self, uid: &str) -> anyhow::Result<bool> {
        Ok(self.client.delete(&Person::cache_key(uid))?) //~ db
    }

    pub async fn bump_generation(&self) -> anyhow::Result<u64> {
        Ok(self.client.increment("people:generation", 1)?) //~ db
    }
}
