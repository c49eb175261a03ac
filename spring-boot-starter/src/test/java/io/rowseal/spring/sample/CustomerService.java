package io.rowseal.spring.sample;

import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Transactional work mixing the repository and JdbcTemplate on the one DataSource. */
@Service
public class CustomerService {
  static final String INSERT = "insert into customers (id, name, national_id, city, version) values (?, ?, ?, ?, 0)";

  private final CustomerRepository customers;
  private final JdbcTemplate jdbc;

  public CustomerService(CustomerRepository customers, JdbcTemplate jdbc) {
    this.customers = customers;
    this.jdbc = jdbc;
  }

  /** A @Transactional update: the entity is loaded, changed and flushed at commit. */
  @Transactional
  public void rename(long id, String name) {
    customers.findById(id).orElseThrow().setName(name);
  }

  /**
   * In one transaction: a JPA save (flushed), a JdbcTemplate insert, and a JdbcTemplate read of the JPA row;
   * JdbcTemplate joins the JPA transaction's connection. Returns {jpa id}.
   */
  @Transactional
  public long saveBothWaysInOneTransaction(Customer entity, long jdbcId, String name, String nationalId, String city) {
    Customer saved = customers.saveAndFlush(entity);
    jdbc.update(INSERT, jdbcId, name, nationalId, city);
    Map<String, Object> row = jdbc.queryForMap("select name, national_id from customers where id = ?", saved.getId());
    if (!entity.getName().equals(row.get("name"))) {
      throw new IllegalStateException("JdbcTemplate inside the transaction did not read the JPA row decrypted");
    }
    return saved.getId();
  }
}
