package io.rowseal.spring.sample;

import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data JPA over {@link Customer}: derived queries on the plain {@code city} attribute only. */
public interface CustomerRepository extends JpaRepository<Customer, Long> {
  List<Customer> findByCityOrderByIdAsc(String city);

  Page<Customer> findByCity(String city, Pageable pageable);
}
